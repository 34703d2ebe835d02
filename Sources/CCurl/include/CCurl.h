#ifndef SIUO_CCURL_H
#define SIUO_CCURL_H

#include <curl/curl.h>

/*
 * curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic C
 * functions, which Swift cannot call. These wrappers give each argument type
 * its own non-variadic entry point.
 */

CURLcode siuo_curl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode siuo_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode siuo_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode siuo_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode siuo_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode siuo_curl_easy_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback value);
CURLcode siuo_curl_easy_setopt_xferinfo_callback(CURL *handle, curl_xferinfo_callback value);

CURLcode siuo_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode siuo_curl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);
CURLcode siuo_curl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value);
CURLcode siuo_curl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value);
CURLcode siuo_curl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value);

CURLMcode siuo_curl_multi_setopt_long(CURLM *handle, CURLMoption option, long value);

#endif

#ifndef SIUO_CLIBPQ_SHIM_H
#define SIUO_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif

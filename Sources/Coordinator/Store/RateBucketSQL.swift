/// Every statement on `rate_buckets`, and on `lease_grants`, the tokens a
/// lease request took from them: the one home of those tables' SQL.
///
/// The bucket arithmetic (refill, capacities) is in the SQL functions of
/// migration 0003; `TokenBucket` and `LockedBucket` mirror it for permits,
/// and RateBucketRulesTests checks that the two agree.
enum RateBucketSQL {
    /// Locks the buckets of the endpoints ($1 providers, $2 base URLs, $3
    /// models) in id order, so concurrent lockers never deadlock.
    static let lock = """
        SELECT b.id, b.provider, b.base_url, b.model, b.configured_rpm, b.current_rpm, b.burst, b.tokens, b.refilled_at, b.max_in_flight,
               b.throttled_until, b.tpm, b.tpm_tokens, b.tpm_refilled_at, b.tokens_per_request, now() AS now
        FROM rate_buckets b
        JOIN unnest($1::text[], $2::text[], $3::text[]) AS e(provider, base_url, model)
          ON b.provider = e.provider AND b.base_url = e.base_url AND b.model = e.model
        ORDER BY b.id
        FOR UPDATE OF b
        """

    /// The token take of a lease request, in one statement: which models of
    /// running, under-budget sweeps on the endpoints ($1 providers, $2 base
    /// URLs, $3 models) can be given work; what each of their buckets could
    /// give now, from an unlocked read; then a walk over the models, bucket
    /// by bucket in an order each request draws anew (from its id $5), that
    /// counts each model's runnable jobs only up to what the request still
    /// wants ($4 in all) and its bucket can still give, and stops once the
    /// request is filled. Concurrent requests then spread over the endpoints
    /// instead of all claiming at the head of the same model's queue, where
    /// each would walk over the rows the others just claimed, and every
    /// model of a sweep moves forward together; a request filled by its
    /// first model reads no other model's queue. Only the buckets the walk
    /// drew on are locked (in id order), so concurrent requests that draw on
    /// different buckets do not queue on each other's; each then gives one
    /// request token per job, at most as planned, within `max_in_flight`, a
    /// provider's pause and the tpm budget (fewer than planned when another
    /// request took tokens meanwhile: the worker asks again). Writes each
    /// model's share of its bucket's grant (`jobs`) to `lease_grants` under
    /// request id $5, for the claim that follows in the same round trip
    /// (`JobSQL.claim`), and answers the shares in bucket and model id order.
    ///
    /// A bucket without a whole token in the unlocked read, or paused, is
    /// left out before any lock: a long poll on a rate-limited endpoint costs
    /// a read, not a locking write.
    ///
    /// The count walks the queue in the claim's order, so it reads the
    /// `jobs_runnable` index: without the ORDER BY the planner may pick a
    /// sequential scan, expecting queued rows anywhere in the table, while
    /// they all sit behind the finished ones (claims go in id order), and
    /// every lease request would read the whole finished part of the queue.
    /// Each count also walks the dead index entries that claimed jobs leave
    /// at the head of their model's queue until a vacuum removes them, which
    /// is why the walk counts as few models as fill the request.
    static let take = """
        WITH RECURSIVE candidates AS MATERIALIZED (
            SELECT m.id AS model_id, b.id AS bucket_id,
                   row_number() OVER (ORDER BY md5(b.id::text || $5::text), b.id, m.id) AS k
            FROM models m
            JOIN sweeps s ON s.id = m.sweep_id
            JOIN rate_buckets b ON b.id = m.rate_bucket_id
            -- A semi-join: an endpoint named twice still gives each of its models one row of the walk.
            WHERE EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[], $3::text[]) AS e(provider, base_url, model)
                          WHERE b.provider = e.provider AND b.base_url = e.base_url AND b.model = e.model)
              AND \(SweepSQL.mayRun)
              AND (b.throttled_until IS NULL OR b.throttled_until <= now())
              AND siuo_bucket_refill(b.tokens, b.refilled_at, b.current_rpm, siuo_bucket_capacity(b.burst, b.current_rpm), now()) >= 1
        ),
        supply AS MATERIALIZED (
        \(capping(buckets: "SELECT b.* FROM rate_buckets b WHERE b.id IN (SELECT bucket_id FROM candidates)", wanted: "$4::integer"))
        ),
        walk AS (
            SELECT 0::bigint AS k, $4::integer AS remaining, NULL::bigint AS bucket_id, 0 AS bucket_used, NULL::bigint AS model_id, 0 AS n
            UNION ALL
            SELECT c.k, w.remaining - q.n, c.bucket_id,
                   CASE WHEN c.bucket_id = w.bucket_id THEN w.bucket_used + q.n ELSE q.n END, c.model_id, q.n
            FROM walk w
            JOIN candidates c ON c.k = w.k + 1
            JOIN supply p ON p.id = c.bucket_id
            CROSS JOIN LATERAL (
                SELECT count(*)::integer AS n FROM (
                    SELECT 1 FROM jobs j
                    WHERE j.model_id = c.model_id AND j.state = 'queued' AND j.lane = 'live' AND j.not_before <= now()
                    ORDER BY j.priority DESC, j.id
                    LIMIT LEAST(w.remaining, p.cap - CASE WHEN c.bucket_id = w.bucket_id THEN w.bucket_used ELSE 0 END)) AS queued
            ) AS q
            WHERE w.remaining > 0
        ),
        runnable AS (
            SELECT model_id, bucket_id, n FROM walk WHERE n > 0
        ),
        planned AS (
            SELECT bucket_id AS id, sum(n)::integer AS n FROM runnable GROUP BY bucket_id
        ),
        locked AS (
            SELECT b.* FROM rate_buckets b
            WHERE b.id IN (SELECT id FROM planned WHERE n > 0)
            ORDER BY b.id
            FOR UPDATE
        ),
        granted AS (
        \(capping(buckets: "SELECT * FROM locked", wanted: "(SELECT p.n FROM planned p WHERE p.id = l.id)"))
        ),
        taken AS (
            UPDATE rate_buckets b SET tokens = g.tokens - g.cap, refilled_at = GREATEST(now(), g.refilled_at),
                   tpm_tokens = COALESCE(g.tpm_tokens - g.cap * g.tokens_per_request, b.tpm_tokens),
                   tpm_refilled_at = CASE WHEN g.tpm_tokens IS NULL THEN b.tpm_refilled_at ELSE GREATEST(now(), g.tpm_refilled_at) END
            FROM granted g
            WHERE b.id = g.id AND g.cap > 0
        ),
        shares AS (
            SELECT r.model_id, r.bucket_id,
                   GREATEST(0, LEAST(r.n, g.cap - COALESCE(sum(r.n) OVER (PARTITION BY r.bucket_id ORDER BY r.model_id
                                                                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)))::integer AS jobs
            FROM runnable r JOIN granted g ON g.id = r.bucket_id
            WHERE g.cap > 0
        )
        INSERT INTO lease_grants (request_id, model_id, bucket_id, jobs)
        SELECT $5::uuid, model_id, bucket_id, jobs FROM shares WHERE jobs > 0
        ORDER BY bucket_id, model_id
        RETURNING model_id, bucket_id, jobs
        """

    /// How many request tokens each bucket of `buckets` (rate_buckets rows,
    /// as `l`) can give now, `wanted` at most: refilled to `now()`, within
    /// `max_in_flight`, a provider's pause and the tpm budget; with the
    /// refilled figures the take writes back. The one home of that rule in
    /// SQL, for the unlocked plan and the locked grant alike.
    private static func capping(buckets: String, wanted: String) -> String {
        """
            SELECT f.*, CASE WHEN f.paused THEN 0
                             ELSE GREATEST(0, LEAST(f.wanted, COALESCE(f.room, f.wanted), floor(f.tokens),
                                                    COALESCE(floor(f.tpm_tokens / f.tokens_per_request), f.wanted)))::integer END AS cap
            FROM (
                SELECT l.id, l.refilled_at, l.tpm_refilled_at, l.tokens_per_request,
                       siuo_bucket_refill(l.tokens, l.refilled_at, l.current_rpm, siuo_bucket_capacity(l.burst, l.current_rpm), now()) AS tokens,
                       CASE WHEN l.tpm IS NOT NULL THEN siuo_bucket_refill(l.tpm_tokens, l.tpm_refilled_at, l.tpm,
                                                                           siuo_tpm_capacity(l.tpm, l.tokens_per_request), now()) END AS tpm_tokens,
                       (l.throttled_until IS NOT NULL AND l.throttled_until > now()) AS paused,
                       CASE WHEN l.max_in_flight IS NOT NULL THEN GREATEST(0, l.max_in_flight - (
                           SELECT count(*) FROM jobs j JOIN models m ON m.id = j.model_id
                           WHERE j.state = 'leased' AND j.lane = 'live' AND m.rate_bucket_id = l.id)) END AS room,
                       \(wanted) AS wanted
                FROM (\(buckets)) AS l
            ) AS f
        """
    }

    /// The tokens of lease request $1's grant that its claim did not use
    /// back to their buckets, with their model-token charge, never above the
    /// buckets' capacities, and the grant's rows deleted: the third
    /// transaction of a lease round trip (`RateBucketSQL.take`,
    /// `JobSQL.claim`). Locks in id order, like every multi-bucket write.
    static let giveBackUnclaimed = """
        WITH back AS (
            SELECT b.id, u.tokens FROM rate_buckets b
            JOIN (SELECT bucket_id, sum(jobs - claimed) AS tokens FROM lease_grants WHERE request_id = $1::uuid GROUP BY bucket_id) u
              ON u.bucket_id = b.id
            WHERE u.tokens > 0
            ORDER BY b.id
            FOR UPDATE OF b
        ),
        done AS (DELETE FROM lease_grants WHERE request_id = $1::uuid)
        UPDATE rate_buckets b
        SET tokens = LEAST(siuo_bucket_capacity(b.burst, b.current_rpm), b.tokens + back.tokens),
            tpm_tokens = CASE WHEN b.tpm IS NULL THEN b.tpm_tokens
                              ELSE LEAST(siuo_tpm_capacity(b.tpm, b.tokens_per_request), b.tpm_tokens + back.tokens * b.tokens_per_request) END
        FROM back
        WHERE b.id = back.id
        """

    /// Grants older than a minute: left by a lease round trip that broke
    /// before its give-back (the rescuer deletes them; their tokens refill).
    static let deleteStaleGrants = """
        DELETE FROM lease_grants WHERE created_at < now() - interval '1 minute'
        """

    /// Writes a locked bucket's tokens, rate and pause back.
    static let save = """
        UPDATE rate_buckets SET tokens = $2, refilled_at = $3, current_rpm = $4, throttled_until = $5,
               tpm_tokens = COALESCE($6::float8, tpm_tokens), tpm_refilled_at = COALESCE($7::timestamptz, tpm_refilled_at)
        WHERE id = $1
        """

    /// Locks the existing buckets of the endpoints ($1…$3) in id order, the
    /// order every multi-bucket writer locks in, before a submit upserts
    /// them in its own order: the two can then never wait on each other.
    static let lockForSubmit = """
        SELECT b.id FROM rate_buckets b
        JOIN unnest($1::text[], $2::text[], $3::text[]) AS e(provider, base_url, model)
          ON b.provider = e.provider AND b.base_url = e.base_url AND b.model = e.model
        ORDER BY b.id
        FOR UPDATE OF b
        """

    /// Creates the endpoint's bucket or applies the sweep's operational
    /// settings to it; a configured rate takes effect at once.
    static let upsert = """
        INSERT INTO rate_buckets (provider, base_url, model, configured_rpm, current_rpm, tpm, configured_tpm, burst, tokens, max_in_flight)
        VALUES ($1, $2, $3, $4::float8, COALESCE($4::float8, $7::float8), $5::float8, $5::float8, $6::float8, 1, $8::integer)
        ON CONFLICT (provider, base_url, model) DO UPDATE SET
            configured_rpm = EXCLUDED.configured_rpm,
            current_rpm = COALESCE(siuo_rate_ceiling(EXCLUDED.configured_rpm, rate_buckets.learned_rpm), rate_buckets.current_rpm),
            configured_tpm = EXCLUDED.configured_tpm,
            tpm = siuo_rate_ceiling(EXCLUDED.configured_tpm, rate_buckets.learned_tpm),
            burst = EXCLUDED.burst, max_in_flight = EXCLUDED.max_in_flight
        RETURNING id
        """

    /// After accepted results, per bucket ($1 ids, $2 requests, $4 model
    /// tokens reported): additive increase as in `AdaptiveRate.succeeded`
    /// ($2 requests × $3 per success, or × $5 while an endpoint with no
    /// known limit has not pushed back yet: the fast probe; capped at the
    /// configured or learned rate, `siuo_rate_ceiling`); with a
    /// `tpm`, the model tokens reported replace the estimate charged for the
    /// requests (never below a minute's debt), and the estimate moves toward
    /// what was reported. A bucket already at its ceiling with no model
    /// tokens reported is left alone: neither locked nor written. Locks in id order.
    static let settle = """
        WITH spent AS (
            SELECT b.id, s.requests, s.tokens FROM rate_buckets b
            JOIN unnest($1::bigint[], $2::float8[], $4::float8[]) AS s(id, requests, tokens) ON s.id = b.id
            WHERE s.tokens > 0 OR b.current_rpm <> COALESCE(siuo_rate_ceiling(b.configured_rpm, b.learned_rpm), b.probed_rpm, 'Infinity'::float8)
            ORDER BY b.id
            FOR UPDATE OF b
        )
        UPDATE rate_buckets b SET
            current_rpm = LEAST(COALESCE(siuo_rate_ceiling(b.configured_rpm, b.learned_rpm), b.probed_rpm, 'Infinity'::float8),
                                b.current_rpm + s.requests * CASE WHEN b.configured_rpm IS NULL AND b.learned_rpm IS NULL
                                                                   AND b.last_throttled_at IS NULL THEN $5::float8 ELSE $3::float8 END),
            tpm_tokens = CASE WHEN b.tpm IS NULL OR s.tokens <= 0 THEN b.tpm_tokens
                              ELSE GREATEST(-b.tpm, b.tpm_tokens - (s.tokens - s.requests * b.tokens_per_request)) END,
            tokens_per_request = CASE WHEN s.tokens <= 0 OR s.requests <= 0 THEN b.tokens_per_request
                                      ELSE 0.8 * b.tokens_per_request + 0.2 * (s.tokens / s.requests) END,
            tokens_per_request_source = CASE WHEN s.tokens <= 0 OR s.requests <= 0 THEN b.tokens_per_request_source ELSE 'usage' END
        FROM spent s
        WHERE b.id = s.id
        """

    /// Buckets $1 expect $2 tokens per request (the mean estimate of the
    /// requests a submitted sweep's jobs will send there), unless providers
    /// have already reported usage on them, which a guess must not override.
    static let seedEstimates = """
        UPDATE rate_buckets b SET tokens_per_request = e.tokens, tokens_per_request_source = 'estimate'
        FROM unnest($1::bigint[], $2::float8[]) AS e(id, tokens)
        WHERE b.id = e.id AND e.tokens > 0 AND b.tokens_per_request_source <> 'usage'
        """

    /// The rates in force on the endpoints of sweep $1, and their sources.
    static let ofSweep = """
        SELECT DISTINCT b.provider, b.model, b.current_rpm, b.tpm, siuo_limit_source(b.configured_rpm, b.learned_rpm) AS rpm_source,
               siuo_limit_source(b.configured_tpm, b.learned_tpm) AS tpm_source
        FROM rate_buckets b JOIN models m ON m.rate_bucket_id = b.id
        WHERE m.sweep_id = $1
        ORDER BY b.provider, b.model
        """

    /// Every bucket's tokens and rate, for `/metrics`.
    static let gauges = """
        SELECT provider, base_url, model, tokens, current_rpm, tpm, learned_rpm, learned_tpm, tokens_per_request, tokens_per_request_source,
               siuo_limit_source(configured_rpm, learned_rpm) AS rpm_source, siuo_limit_source(configured_tpm, learned_tpm) AS tpm_source
        FROM rate_buckets ORDER BY id
        """

    /// A throttle's read of the bucket $1, locked.
    static let lockForThrottle = """
        SELECT siuo_rate_ceiling(configured_rpm, learned_rpm) AS ceiling, current_rpm, probed_rpm, last_throttled_at, now() AS now
        FROM rate_buckets WHERE id = $1 FOR UPDATE
        """

    /// The limits workers saw stated ($1 bucket ids, $2 requests and $3
    /// tokens per minute, NULL where unstated): the rates go to a little
    /// below them (never above a configured rate) when they are new or
    /// changed; the same limits restated change nothing (and lock nothing).
    static let learn = """
        UPDATE rate_buckets b SET
            learned_rpm = COALESCE(l.rpm, b.learned_rpm), learned_tpm = COALESCE(l.tpm, b.learned_tpm), learned_at = now(),
            current_rpm = CASE WHEN l.rpm IS NULL OR l.rpm IS NOT DISTINCT FROM b.learned_rpm THEN b.current_rpm
                               ELSE siuo_rate_ceiling(b.configured_rpm, l.rpm) END,
            tpm = CASE WHEN l.tpm IS NULL OR l.tpm IS NOT DISTINCT FROM b.learned_tpm THEN b.tpm
                       ELSE siuo_rate_ceiling(b.configured_tpm, l.tpm) END,
            tpm_tokens = CASE WHEN b.tpm IS NULL AND l.tpm IS NOT NULL THEN 0 ELSE b.tpm_tokens END,
            tpm_refilled_at = CASE WHEN b.tpm IS NULL AND l.tpm IS NOT NULL THEN now() ELSE b.tpm_refilled_at END
        FROM (SELECT DISTINCT ON (id) id, rpm, tpm FROM unnest($1::bigint[], $2::float8[], $3::float8[]) AS x(id, rpm, tpm) ORDER BY id) AS l
        WHERE b.id = l.id AND (l.rpm IS DISTINCT FROM b.learned_rpm AND l.rpm IS NOT NULL
                               OR l.tpm IS DISTINCT FROM b.learned_tpm AND l.tpm IS NOT NULL)
        """

    /// Applies a throttle to bucket $1: rate $2, probe ceiling $5, paused
    /// until $3, and, when $4 (a new congestion event), the event's time. Tokens drop to zero:
    /// what was saved up was measured against a rate the provider just refused.
    static let applyThrottle = """
        UPDATE rate_buckets SET current_rpm = $2, probed_rpm = $5, tokens = LEAST(tokens, 0), refilled_at = now(),
               throttled_until = GREATEST(COALESCE(throttled_until, $3), $3),
               last_throttled_at = CASE WHEN $4::boolean THEN now() ELSE last_throttled_at END
        WHERE id = $1
        """
}

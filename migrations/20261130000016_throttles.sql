-- Throttles every instance shares: a count of hits per key in a fixed window (sign-in tries per
-- account today; SMS sent at the city's cost next). Rows past their window are swept by a job.
CREATE TABLE throttles (
    key           text PRIMARY KEY,
    window_start  timestamptz NOT NULL,
    hits          integer NOT NULL
);

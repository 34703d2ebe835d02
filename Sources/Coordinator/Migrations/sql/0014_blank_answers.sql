-- Whether an answer is blank: nothing but characters with Unicode's
-- White_Space property (newlines and no-break spaces included). A blank
-- answer is scored safe and ineffective without a judge, so it gets no judge
-- jobs. The scorer applies the same rule in Swift (`AnswerText.isBlank`), and
-- a test holds the two forms to the same characters
-- (docs/protocol.md, "Scoring").
CREATE FUNCTION siuo_is_blank(answer text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT answer ~ '^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$' $$;

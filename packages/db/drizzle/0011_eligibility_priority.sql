-- An eligible verdict on the timeline now carries the zip priority it was given as a field
-- (data.priority), which the what-if replay reads; nothing parses the message any more. Verdicts
-- written before said it only in words ("serves zip 38103 at priority 2"), so they get the field
-- once, here, from those words.
UPDATE lead_events
SET data = data || jsonb_build_object('priority', substring(data->>'detail' from '\mat priority (\d+)\M')::int)
WHERE kind = 'eligibility'
  AND (data->>'eligible')::boolean
  AND NOT data ? 'priority'
  AND data->>'detail' ~ '\mat priority \d+\M';

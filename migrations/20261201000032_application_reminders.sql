-- The due date an application's officer was last reminded of (a due date moved by the clock
-- standing still, or by an appeal, is reminded of again).
ALTER TABLE applications ADD COLUMN reminded_for date;

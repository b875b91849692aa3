-- Placeholder so that 05-daemon gets its number while 03 is reserved for another branch.
-- At merge, delete this folder: the other branch's 03-* migration takes its place.
SELECT 1;

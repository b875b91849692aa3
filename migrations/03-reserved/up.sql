-- Placeholder: 03 is reserved for the review issue's migration (rusqlite_migration needs
-- consecutive ids). Replace this folder with that migration when merging.
SELECT 1;

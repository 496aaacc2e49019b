-- The timeline goes with it (ON DELETE CASCADE).
DELETE FROM jobs WHERE id = @id;

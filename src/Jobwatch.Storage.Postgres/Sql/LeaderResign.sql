DELETE FROM leaders WHERE name = @name AND node_id = @node_id;

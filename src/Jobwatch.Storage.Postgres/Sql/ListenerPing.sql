-- Sent on the idle LISTEN connection now and then: a connection the server or the network dropped
-- without a word fails here (within the command timeout) instead of waiting forever.
SELECT 1;

-- Several payloads in one statement, so one transaction: they are delivered together, in this order.
SELECT pg_notify(@channel, p.payload)
FROM unnest(@payloads::text[]) WITH ORDINALITY AS p (payload, ord)
ORDER BY p.ord;

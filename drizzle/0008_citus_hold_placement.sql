-- Running on Citus: a transaction of the scheduler holds its academy where it is.
-- Hand-written; see docs/scale-out.md ("Moving an academy").
--
-- citus_schema_move blocks writes to the shards it moves (it takes each shard's
-- metadata lock in ExclusiveLock mode; every INSERT, UPDATE and DELETE takes it in
-- ShareLock), but not row-locking reads. A transaction that had locked a session's row
-- with SELECT ... FOR UPDATE on the old placement and wrote after the switch wrote to the
-- new placement, while a transaction queued behind its row lock on the old placement
-- then read the old row: a decision on a count that had changed (a booking confirmed
-- against a full session, refused by the counter trigger as CAPACITY_EXCEEDED).
--
-- The scheduler calls this first in every transaction on Citus. A move takes the
-- metadata locks of the academy's shards in shard order, all of them before it copies
-- anything; this takes the first of them (the academy's lowest shard id) in ShareLock
-- mode for the rest of the transaction. A move then waits for the transactions under
-- way, and a transaction that begins during a move waits for its end and reads where
-- the academy now is. One shard is enough: a move cannot lock any shard of the academy
-- before the first, and this transaction then writes nothing a move holds (all of its
-- shards come after it). Found through pg_dist_schema and indexes, not by scanning
-- pg_class (~50 us). No shards (a schema Citus does not distribute, or one server):
-- nothing to hold, nothing a move could take. SECURITY DEFINER: Citus lets only the
-- owner of a table lock its shards' metadata, and the scheduler may act under a role
-- that owns nothing. Never called on one server (pg_dist_schema exists only with Citus).
CREATE OR REPLACE FUNCTION scheduling.hold_academy_placement() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_first bigint;
BEGIN
  SELECT min(s.shardid) INTO v_first
  FROM pg_catalog.pg_dist_schema d
  JOIN pg_catalog.pg_dist_partition p ON p.colocationid = d.colocationid
  JOIN pg_catalog.pg_dist_shard s ON s.logicalrelid = p.logicalrelid
  WHERE d.schemaid = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = current_schema());
  IF v_first IS NOT NULL THEN
    -- 5: ShareLock.
    PERFORM pg_catalog.lock_shard_metadata(5, ARRAY[v_first]);
  END IF;
END
$$;

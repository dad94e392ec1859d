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
-- The scheduler calls this first in every transaction on Citus: it takes the metadata
-- lock of each of the academy's shards in ShareLock mode, in shard order (the order a
-- move takes them in), for the rest of the transaction. A move then waits for the
-- transactions under way, and a transaction that begins during a move waits for it to
-- end and reads where the academy now is. SECURITY DEFINER: Citus lets only the owner
-- of a table lock its shards' metadata, and the scheduler may act under a role that
-- owns nothing. Never called on one server (pg_dist_shard exists only with Citus).
CREATE OR REPLACE FUNCTION scheduling.hold_academy_placement() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_shards bigint[];
BEGIN
  SELECT array_agg(s.shardid ORDER BY s.shardid) INTO v_shards
  FROM pg_catalog.pg_dist_shard s JOIN pg_catalog.pg_class c ON c.oid = s.logicalrelid
  WHERE c.relnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = current_schema());
  IF v_shards IS NOT NULL THEN
    -- 5: ShareLock.
    PERFORM pg_catalog.lock_shard_metadata(5, v_shards);
  END IF;
END
$$;

// In a module of its own: the package's entry exports it without loading the maintenance code.

/** Every kind of finding, in the order `verifyIntegrity` reports them. */
export const INTEGRITY_FINDING_KINDS = [
  'booking_count_drift',
  'over_capacity',
  'held_offers_over_capacity',
  'capacity_outside_policy',
  'instructor_overlap',
  'facility_overlap',
  'student_overlap',
  'waitlist_positions',
  'expired_offer',
  'booked_and_waiting',
] as const;

-- Where an activity is held, when that is one of the platform's venues: a venue's statistics count
-- the activities held there by type, with or without a booking (one booking may host several).
alter table activities add column venue_id bigint references venues (id);
update activities a set venue_id = b.venue_id from venue_bookings b where b.id = a.venue_booking_id;
create index activities_venue on activities (venue_id, starts_at) where venue_id is not null;

-- Rejected deliveries of one LA that no later successful load of the same source and
-- collection year has superseded: the dashboard is showing older data than was sent.
select
    rejected.loaded_at,
    rejected.source,
    rejected.collection_year,
    rejected.extract_date,
    rejected.source_file,
    rejected.message
from meta.load_events as rejected
where
    rejected.la_code = $la
    and rejected.outcome = 'rejected'
    and not exists (
        select 1
        from meta.load_events as loaded
        where
            loaded.la_code = rejected.la_code
            and loaded.outcome = 'loaded'
            and loaded.source is not distinct from rejected.source
            and loaded.collection_year is not distinct from rejected.collection_year
            and loaded.loaded_at > rejected.loaded_at
    )
order by rejected.loaded_at desc, rejected.source_file

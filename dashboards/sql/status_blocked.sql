-- One LA's extracts whose newest delivery was blocked or rejected (status.duckdb), with the
-- file the rejection names: the dashboard is showing older data than was sent, or none. A
-- problem of the landing folder (a malformed folder name, a link, a file in the wrong
-- place) names its own path.
with

blocked as (
    select * from extract_status
    where la_code = $la and latest_status = 'blocked'
),

rejections as (
    select
        la_code,
        source,
        collection_year,
        extract_date,
        source_file,
        row_number() over (
            partition by la_code, source, collection_year, extract_date
            order by loaded_at desc
        ) as newest
    from load_events
    where outcome = 'rejected' and table_name is null
)

select
    blocked.latest_seen_at as loaded_at,
    blocked.source,
    blocked.collection_year,
    blocked.latest_extract_date as extract_date,
    coalesce(
        blocked.problem_path,
        rejections.source_file,
        concat_ws(
            '/',
            blocked.la_code,
            blocked.source,
            blocked.collection_year,
            strftime(blocked.latest_extract_date, '%Y-%m-%d')
        )
    ) as source_file,
    blocked.latest_message as message,
    blocked.served_extract_date
from blocked
left join rejections
    on blocked.la_code = rejections.la_code
    and blocked.source = rejections.source
    and blocked.collection_year is not distinct from rejections.collection_year
    and blocked.latest_extract_date = rejections.extract_date
    and rejections.newest = 1
order by loaded_at desc, source_file

-- The newest extract of each LA, source and collection year: published, published with
-- warnings or blocked (and why), and the extract being served (status.duckdb).
select
    la_code,
    source,
    collection_year,
    latest_extract_date,
    latest_status,
    latest_message,
    latest_errors,
    latest_warnings,
    latest_seen_at,
    served_extract_date,
    served_loaded_at,
    is_serving_older_data,
    served_age_days
from extract_status
where ($la::varchar is null or la_code = $la)
order by la_code, source, collection_year desc nulls last

-- Failing rows of the latest check of each extract (status.duckdb keeps the latest gate
-- runs; a blocked extract is checked again on every run, so older checks repeat it).
-- Each filter is skipped when its parameter is null.
with

issues as (
    select * from dq_issues
),

latest_checks as (
    select
        la_code,
        source,
        collection_year,
        extract_date,
        max(checked_at) as checked_at
    from issues
    group by all
),

latest_issues as (
    select issues.*
    from issues
    inner join latest_checks
        on issues.la_code = latest_checks.la_code
        and issues.source = latest_checks.source
        and issues.collection_year is not distinct from latest_checks.collection_year
        and issues.extract_date is not distinct from latest_checks.extract_date
        and issues.checked_at = latest_checks.checked_at
)

select
    la_code,
    source,
    collection_year,
    extract_date,
    table_name,
    source_file,
    source_row,
    child,
    rule_code,
    severity,
    message,
    value,
    checked_at
from latest_issues
where
    ($la::varchar is null or la_code = $la)
    and ($year::varchar is null or collection_year = $year)
    and ($severity::varchar is null or severity = $severity)
    and ($rule::varchar is null or rule_code = $rule)
    and ($file::varchar is null or source_file = $file)
order by la_code, source, collection_year, extract_date desc, source_file, source_row, rule_code

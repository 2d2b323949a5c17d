-- The newest supplied extract of each LA, source and collection year in the published
-- snapshot: what the dashboard's figures are built on.
select
    la_code,
    source,
    collection_year,
    max(extract_date) as extract_date,
    max(loaded_at) as loaded_at
from meta.extract_files
where is_supplied
group by all
order by la_code, source, collection_year desc nulls last

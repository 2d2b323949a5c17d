{#
    Every missing / away episode of a child, from care (903 missing) or from home (local
    missing_from_home), one row per (la_code, child, mis_start).
    - 903: an episode open across 31 March is in two years' returns; the row of the latest
      collection year wins (then the last line of the file), as for care episodes.
    - If the same key is in both sources, the care row wins (the 903 return is the
      statutory record; a child recorded in both was looked after) and is_in_both_sources
      is set.
    - Rows without a child or a readable MIS_START cannot be identified and are left out.
    - MIS_END: blank = still missing (NULL, is_valid_mis_end true); unreadable = NULL with
      is_valid_mis_end false, and the episode is left out of every KPI (reading 17).
#}
with

care_rows as (
    select
        *,
        row_number() over (
            partition by la_code, child, mis_start
            order by collection_year desc, source_row desc
        ) as row_rank
    from {{ ref('stg_ssda903__missing') }}
    where {{ la_scope() }} and child is not null and mis_start is not null
),

home_rows as (
    select
        *,
        row_number() over (
            partition by la_code, child, mis_start
            order by source_row desc
        ) as row_rank
    from {{ ref('stg_local__missing_from_home') }}
    where {{ la_scope() }} and child is not null and mis_start is not null
),

care as (
    select
        la_code,
        child,
        mis_start,
        mis_end,
        is_valid_mis_end,
        missing,
        dob,
        'care' as source,
        collection_year,
        extract_date,
        source_file,
        source_row
    from care_rows
    where row_rank = 1
),

home as (
    select
        la_code,
        child,
        mis_start,
        mis_end,
        is_valid_mis_end,
        missing,
        dob,
        'home' as source,
        cast(null as varchar) as collection_year,
        extract_date,
        source_file,
        source_row
    from home_rows
    where row_rank = 1
),

home_only as (
    select home.* from home
    anti join care
        on
            home.la_code = care.la_code
            and home.child = care.child
            and home.mis_start = care.mis_start
),

care_flagged as (
    select
        care.*,
        home.child is not null as is_in_both_sources
    from care
    left join home
        on
            care.la_code = home.la_code
            and care.child = home.child
            and care.mis_start = home.mis_start
),

unioned as (
    select * from care_flagged
    union all by name
    select
        *,
        false as is_in_both_sources
    from home_only
)

select
    la_code,
    child,
    mis_start,
    mis_end,
    is_valid_mis_end,
    missing,
    dob,
    source,
    is_in_both_sources,
    collection_year,
    extract_date,
    source_file,
    source_row
from unioned

{#
    The districts of each LA (kpis.md reading 15): every DISTRICT in its teams.csv
    (County included) plus Unallocated, which is always there.
#}
with

las as (
    select * from {{ ref('int_la__extracts') }}
    where {{ la_scope() }}
),

teams as (
    select * from {{ ref('stg_local__teams') }}
    where {{ la_scope() }}
),

team_districts as (
    select distinct
        la_code,
        district
    from teams
    where district is not null
),

unallocated as (
    select
        la_code,
        'Unallocated' as district
    from las
),

unioned as (
    select * from team_districts
    union
    select * from unallocated
)

select
    la_code,
    district,
    district = 'Unallocated' as is_unallocated,
    district = 'County' as is_county
from unioned

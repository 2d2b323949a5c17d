{#
    One row per LA and district (la_code, district): every district of the LA's teams
    (County included), Unallocated, and ALL (the LA total), with the population aged 0-17
    of the district_populations seed (ALL: the sum of the LA's districts; NULL where the
    seed has none) and the number of teams.
#}
with

districts as (
    select * from {{ ref('int_districts') }}
    where {{ la_scope() }}
),

populations as (
    select * from {{ ref('district_populations') }}
    where {{ la_scope() }}
),

teams as (
    select * from {{ ref('dim_teams') }}
    where {{ la_scope() }}
),

districts_and_total as (
    select
        la_code,
        district,
        is_unallocated,
        is_county,
        false as is_la_total
    from districts
    union all
    select distinct
        la_code,
        'ALL' as district,
        false as is_unallocated,
        false as is_county,
        true as is_la_total
    from districts
),

district_populations as (
    select
        la_code,
        district,
        sum(population_0_17) as population_0_17
    from populations
    group by la_code, district
    union all
    select
        la_code,
        'ALL' as district,
        sum(population_0_17) as population_0_17
    from populations
    group by la_code
),

team_counts as (
    select
        la_code,
        case when grouping(district) = 1 then 'ALL' else district end as district,
        count(*) as teams
    from teams
    group by grouping sets ((la_code, district), (la_code))
),

final as (
    select
        districts_and_total.la_code,
        districts_and_total.district,
        districts_and_total.is_unallocated,
        districts_and_total.is_county,
        districts_and_total.is_la_total,
        district_populations.population_0_17,
        coalesce(team_counts.teams, 0) as teams
    from districts_and_total
    left join district_populations
        on
            districts_and_total.la_code = district_populations.la_code
            and districts_and_total.district = district_populations.district
    left join team_counts
        on
            districts_and_total.la_code = team_counts.la_code
            and districts_and_total.district = team_counts.district
)

select * from final

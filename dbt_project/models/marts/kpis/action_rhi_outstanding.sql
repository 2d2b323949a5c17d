{#
    Action list for managers (kpis.md A): every due M episode that ended in the last 30
    days before the LA's as-at date and has no RHI_DATE. "In the last 30 days" = 3 to 30
    days since return (an episode is due only 3 days after MIS_END). Worker, team and
    district are those of the allocation on the as-at date (who should act now);
    district_at_return is where the episode counts in the KPIs. LAs whose local extract did
    not supply return_interviews have no list (the KPIs say "not supplied").
#}
with

episodes as (
    select * from {{ ref('fct_missing_episodes') }}
    where {{ la_scope() }}
),

las as (
    select * from {{ ref('int_la__extracts') }}
    where {{ la_scope() }}
),

district_spells as (
    select * from {{ ref('int_allocations__district_spells') }}
    where {{ la_scope() }}
),

outstanding as (
    select episodes.*
    from episodes
    inner join las
        on episodes.la_code = las.la_code
    where
        las.is_supplied_return_interviews
        and episodes.is_in_rhi_kpis
        and not episodes.is_held
        and episodes.as_at_date - episodes.mis_end <= 30
),

final as (
    select
        outstanding.la_code,
        outstanding.as_at_date,
        outstanding.child,
        outstanding.source,
        outstanding.mis_start,
        outstanding.mis_end,
        cast(outstanding.as_at_date - outstanding.mis_end as integer) as days_since_return,
        {{ district_on_column('district_spells') }} as district,
        district_spells.sw_id,
        district_spells.team_id,
        district_spells.team_name,
        outstanding.district as district_at_return,
        outstanding.has_rhi_record,
        outstanding.offered,
        outstanding.accepted,
        outstanding.is_offered,
        outstanding.is_accepted
    from outstanding
    left join district_spells
        on {{ district_on_join(
            'district_spells', 'outstanding.la_code', 'outstanding.child', 'outstanding.as_at_date'
        ) }}
)

select * from final

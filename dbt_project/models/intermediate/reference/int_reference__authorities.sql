{#
    Every lower-tier local authority code the placement-location KPIs can meet (kpis.md
    F), with the upper-tier authority it belongs to today and, in England, its DfE
    three-digit LA code: one row per code of the 2021 tier lookup, of the postcode
    directory (2025 codes) and of the changes since 2021.

    The two packages are different vintages: the tier lookup has 2021 codes, the directory
    the codes of its release. Resolution, in this order (resolved_by):
    1. changed_since_2021: a 2021 code abolished or recoded since (the districts of Cumbria,
       North Yorkshire and Somerset in April 2023; Barnsley and Sheffield in May 2025),
       from the seed authority_changes_since_2021, to the authority that replaced it;
    2. tier_lookup_2021: the 2021 lookup's upper tier (a shire district to its county; a
       unitary, metropolitan or London borough, or a Welsh authority, to itself);
    3. own_upper_tier: a code in neither (created since 2021: Cumberland, Westmorland and
       Furness, North Yorkshire, Somerset, the new Barnsley and Sheffield; or outside
       England and Wales: Scottish and Northern Irish councils, the Channel Islands and
       Isle of Man pseudo-codes) is its own upper tier.
    The upper tier is then matched to la_ons_codes by its current ONS code or by one of
    its previous ones (E10000023, the North Yorkshire county of 2021, is 815 today).
    The synthetic data generator resolves postcodes the same way in Python
    (pipelines/lib/la_codes.py, la_of_lad); tests/dbt/test_dbt_section_f.py holds the two
    to the same answer for every code here.
#}
with

tiers as (
    select * from {{ ref('stg_ons_reference__la_tiers') }}
),

postcodes as (
    select * from {{ ref('stg_ons_reference__postcodes') }}
),

changes as (
    select * from {{ ref('authority_changes_since_2021') }}
),

las as (
    select * from {{ ref('la_ons_codes') }}
),

la_by_ons_code as (
    select
        la_code,
        la_name,
        ons_code,
        ons_code as matched_code
    from las
    union all
    select
        las.la_code,
        las.la_name,
        las.ons_code,
        previous.matched_code
    from las
    cross join unnest(string_split(las.previous_ons_codes, ' ')) as previous (matched_code)
    where previous.matched_code != ''
),

codes as (
    select ltla21_code as lad_code from tiers
    union
    select lad_code from postcodes
    where lad_code is not null
    union
    select lad21_code as lad_code from changes
),

resolved as (
    select
        codes.lad_code,
        coalesce(tiers.ltla21_name, changes.lad21_name, las.la_name) as lad_name,
        case
            when changes.lad21_code is not null then changes.current_code
            when tiers.ltla21_code is not null then tiers.utla21_code
            else codes.lad_code
        end as upper_tier_source_code,
        case
            when changes.lad21_code is not null then 'changed_since_2021'
            when tiers.ltla21_code is not null then 'tier_lookup_2021'
            else 'own_upper_tier'
        end as resolved_by,
        tiers.utla21_name
    from codes
    left join tiers
        on codes.lad_code = tiers.ltla21_code
    left join changes
        on codes.lad_code = changes.lad21_code
    left join las
        on codes.lad_code = las.ons_code
),

final as (
    select
        resolved.lad_code,
        resolved.lad_name,
        coalesce(la_by_ons_code.ons_code, resolved.upper_tier_source_code) as upper_tier_code,
        coalesce(
            la_by_ons_code.la_name,
            resolved.utla21_name,
            case resolved.upper_tier_source_code
                when 'L99999999' then 'Channel Islands'
                when 'M99999999' then 'Isle of Man'
            end
        ) as upper_tier_name,
        la_by_ons_code.la_code,
        case left(resolved.lad_code, 1)
            when 'E' then 'England'
            when 'W' then 'Wales'
            when 'S' then 'Scotland'
            when 'N' then 'Northern Ireland'
            when 'L' then 'Channel Islands'
            when 'M' then 'Isle of Man'
        end as country,
        resolved.resolved_by
    from resolved
    left join la_by_ons_code
        on resolved.upper_tier_source_code = la_by_ons_code.matched_code
)

select * from final

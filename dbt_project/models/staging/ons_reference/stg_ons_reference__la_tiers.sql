with

source as (
    select * from {{ source('ons_reference', 'la_tiers') }}
),

final as (
    select
        ltla21_code,
        ltla21_name,
        utla21_code,
        utla21_name,
        package_version
    from source
)

select * from final

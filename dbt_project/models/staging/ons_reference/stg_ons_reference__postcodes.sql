{#
    The postcode directory rows loaded into the warehouse, with the grid each grid
    reference is on: Northern Ireland (area BT) uses the Irish Grid, the rest of the UK
    OSGB36 (the directory's oseast1m / osnrth1m). Distances are only measured between two
    postcodes on the same grid. No grid reference (Channel Islands, Isle of Man): NULL.
#}
with

source as (
    select * from {{ source('ons_reference', 'postcodes') }}
),

final as (
    select
        postcode,
        pcd,
        postcode_area,
        lad_code,
        easting,
        northing,
        case
            when easting is null or northing is null then null
            when postcode_area = 'BT' then 'Irish Grid'
            else 'OSGB36'
        end as grid,
        package_version
    from source
)

select * from final

{#
    marts.kpi_catalogue: the KPI catalogue (seed reference.kpi_catalogue), the single place
    a KPI is described. The model is named dim_kpi_catalogue because a dbt model cannot share
    the seed's name; its relation is aliased to kpi_catalogue.
#}
{{ config(alias='kpi_catalogue', materialized='table') }}

with

catalogue as (
    select * from {{ ref('kpi_catalogue') }}
)

select * from catalogue

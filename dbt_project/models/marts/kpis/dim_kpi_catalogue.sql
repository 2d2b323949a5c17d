{#
    marts.kpi_catalogue: the KPI catalogue (seed reference.kpi_catalogue), the single place
    a KPI is described, with who is accountable for it: the partner (seed partners) and the
    owner role (seed kpi_accountability), both edited by the council. The model is named
    dim_kpi_catalogue because a dbt model cannot share the seed's name; its relation is
    aliased to kpi_catalogue.
#}
{{ config(alias='kpi_catalogue', materialized='table') }}

with

catalogue as (
    select * from {{ ref('kpi_catalogue') }}
),

accountability as (
    select * from {{ ref('kpi_accountability') }}
),

partners as (
    select * from {{ ref('partners') }}
)

select
    catalogue.*,
    accountability.partner_id,
    partners.name as partner_name,
    accountability.owner_role
from catalogue
left join accountability on catalogue.kpi_id = accountability.kpi_id
left join partners on accountability.partner_id = partners.partner_id

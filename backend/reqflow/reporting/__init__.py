"""Dashboard KPIs, reports and business metrics: reads every domain, changes none."""

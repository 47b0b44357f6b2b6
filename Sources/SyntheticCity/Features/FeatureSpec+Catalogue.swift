import Supervision

extension FeatureSpec {
    private static func f(_ name: String, _ element: Element?, _ family: Family, _ index: Index, decimals: Int = 0,
                          log1p: Bool = false, missing: Double = 0, risk: Double, credit: Double = 0) -> FeatureSpec {
        FeatureSpec(name: name, element: element, family: family, index: index, decimals: decimals, log1p: log1p,
                    missingRate: missing, risk: risk, credit: credit)
    }

    /// The columns of `entities.csv` after `entity_id, district, scenario`, in file order.
    ///
    /// Signs of `diligence` follow the story: a well-run business (high `d`) has fewer defects, complaints and
    /// penalties and more training, audits and complete documents. `risk`/`credit` are the true model's weights.
    public static let all: [FeatureSpec] = [
        // people
        f("people_staff_count", .people, .poisson(sigma: 0.35),
          Index(base: 1.6, size: 0.9, scale: 0.6), log1p: true, risk: 0.10),
        f("people_turnover_rate", .people, .logitNormal(sigma: 0.6),
          Index(base: -1.5, footfall: 0.4, diligence: -0.35), decimals: 3, risk: 0.22, credit: 0.12),
        f("people_certified_share", .people, .logitNormal(sigma: 0.8),
          Index(base: 1.2, diligence: 0.5), decimals: 3, risk: -0.25),
        f("people_training_hours", .people, .logNormal(sigma: 0.7),
          Index(base: 2.0, diligence: 0.3, scale: 0.1), decimals: 1, log1p: true, missing: 0.08, risk: -0.15),
        f("people_manager_tenure_years", .people, .logNormal(sigma: 0.6),
          Index(base: 1.1, diligence: 0.2), decimals: 1, risk: -0.10),
        f("people_safety_officer", .people, .bernoulli,
          Index(base: -0.5, hazard: 1.0, diligence: 0.6, scale: 0.3), risk: -0.12),
        // equipment
        f("equipment_age_years", .equipment, .logNormal(sigma: 0.5),
          Index(base: 1.6, size: 0.2, diligence: -0.1), decimals: 1, risk: 0.18),
        f("equipment_maintenance_overdue", .equipment, .poisson(sigma: 0.5),
          Index(base: -0.6, hazard: 0.3, diligence: -0.5, scale: 0.2), log1p: true, risk: 0.28),
        f("equipment_fire_defects_12m", .equipment, .poisson(sigma: 0.6),
          Index(base: -0.9, size: 0.2, hazard: 0.4, diligence: -0.45), log1p: true, risk: 0.25),
        f("equipment_special_devices", .equipment, .poisson(sigma: 0.4),
          Index(base: -0.5, size: 0.6, hazard: 0.8, scale: 0.5), log1p: true, risk: 0.14),
        f("equipment_monitoring_online", .equipment, .bernoulli,
          Index(base: -0.3, hazard: 0.8, diligence: 0.5, scale: 0.3), risk: -0.15),
        f("equipment_inspection_pass_rate", .equipment, .logitNormal(sigma: 0.7),
          Index(base: 2.0, diligence: 0.5), decimals: 3, risk: -0.22),
        // environment
        f("environment_complaints_12m", .environment, .poisson(sigma: 0.8),
          Index(base: -1.0, food: 0.3, footfall: 0.6, diligence: -0.3, scale: 0.2), log1p: true, risk: 0.28),
        f("environment_floor_area_m2", .environment, .logNormal(sigma: 0.6),
          Index(base: 4.6, size: 0.9, scale: 0.7), log1p: true, risk: 0.05),
        f("environment_residential_share", .environment, .logitNormal(sigma: 1.0),
          Index(base: -0.3, footfall: 0.3), decimals: 3, risk: 0.10),
        f("environment_noise_db", .environment, .normal(sigma: 6),
          Index(base: 55, hazard: 4, footfall: 3, scale: 1.5), decimals: 1, missing: 0.15, risk: 0.14),
        f("environment_waste_contract", .environment, .bernoulli,
          Index(base: 1.0, diligence: 0.7), risk: -0.15),
        f("environment_emission_exceedances_12m", .environment, .poisson(sigma: 0.5),
          Index(base: -2.0, hazard: 1.0, diligence: -0.4), log1p: true, risk: 0.24),
        // rules
        f("rules_internal_audits_12m", .rules, .poisson(sigma: 0.3),
          Index(base: 0.8, size: 0.3, diligence: 0.35, scale: 0.2), risk: -0.15),
        f("rules_emergency_drills_12m", .rules, .poisson(sigma: 0.3),
          Index(base: 0.3, hazard: 0.4, diligence: 0.4), risk: -0.15),
        f("rules_documents_complete_share", .rules, .logitNormal(sigma: 0.8),
          Index(base: 1.5, diligence: 0.7), decimals: 3, risk: -0.25, credit: -0.20),
        f("rules_licence_days_left", .rules, .logNormal(sigma: 0.8),
          Index(base: 6.0, diligence: 0.1), log1p: true, risk: -0.08),
        f("rules_self_inspection_reports_12m", .rules, .poisson(sigma: 0.4),
          Index(base: 1.2, diligence: 0.5), risk: -0.10),
        // product quality
        f("product_complaints_12m", .product, .poisson(sigma: 0.8),
          Index(base: -0.8, footfall: 0.5, product: 0.5, diligence: -0.35, scale: 0.2), log1p: true, risk: 0.25),
        f("product_sample_fail_rate", .product, .logitNormal(sigma: 0.7),
          Index(base: -2.6, food: 0.3, diligence: -0.4), decimals: 3, missing: 0.20, risk: 0.28),
        f("product_recalls_5y", .product, .poisson(sigma: 0.5),
          Index(base: -2.5, product: 0.8, diligence: -0.3), risk: 0.14),
        f("product_supplier_count", .product, .poisson(sigma: 0.6),
          Index(base: 1.8, size: 0.6, product: 0.4, scale: 0.4), log1p: true, risk: 0.05),
        f("product_traceability", .product, .bernoulli,
          Index(base: 0.5, product: 0.8, diligence: 0.6), risk: -0.18),
        // credit history
        f("credit_years_registered", nil, .logNormal(sigma: 0.7),
          Index(base: 1.8, size: 0.1, scale: 0.2), decimals: 1, log1p: true, risk: -0.08, credit: -0.30),
        f("credit_late_filings_3y", nil, .poisson(sigma: 0.7),
          Index(base: -1.2, diligence: -0.5), risk: 0.10, credit: 0.45),
        f("credit_penalties_5y", nil, .poisson(sigma: 0.7),
          Index(base: -1.6, hazard: 0.3, diligence: -0.45), risk: 0.14, credit: 0.50),
        f("credit_abnormal_listed", nil, .bernoulli,
          Index(base: -3.0, diligence: -0.7), risk: 0.08, credit: 0.40),
        // past findings by element (three years before the snapshot)
        f("findings_people_3y", .people, .poisson(sigma: 0.6),
          Index(base: -1.2, size: 0.2, diligence: -0.5), risk: 0.22, credit: 0.10),
        f("findings_equipment_3y", .equipment, .poisson(sigma: 0.6),
          Index(base: -1.3, hazard: 0.5, diligence: -0.5), risk: 0.22, credit: 0.10),
        f("findings_environment_3y", .environment, .poisson(sigma: 0.6),
          Index(base: -1.4, hazard: 0.3, footfall: 0.2, diligence: -0.5), risk: 0.22, credit: 0.10),
        f("findings_rules_3y", .rules, .poisson(sigma: 0.6),
          Index(base: -1.0, diligence: -0.55), risk: 0.22, credit: 0.12),
        f("findings_product_3y", .product, .poisson(sigma: 0.6),
          Index(base: -1.5, product: 0.6, diligence: -0.5), risk: 0.22, credit: 0.10),
        // check history
        f("history_days_since_last_check", nil, .logNormal(sigma: 0.7),
          Index(base: 5.8, hazard: -0.2, diligence: 0.2), log1p: true, missing: 0.10, risk: 0.10),
    ]

    /// Extra true weight of a feature's missing-value indicator, per feature name (others 0). "Never checked" and
    /// "training not reported" carry risk of their own.
    public static let missingIndicatorRisk: [String: Double] = [
        "people_training_hours": 0.20,
        "product_sample_fail_rate": 0.15,
        "history_days_since_last_check": 0.35,
    ]
}

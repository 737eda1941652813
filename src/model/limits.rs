//! What the engine can compute: the ceilings every documented range of a
//! scenario, overlay, schedule, actuals file and flag is derived from
//! (docs/limits.md). Per-field ranges are applied where each field is read
//! ([`super::check`]), the scenario-wide ones in [`super::feasible`]; this
//! module owns the numbers behind them.

/// Most paths of one run (`--paths`).
pub(crate) const MAX_PATHS: u64 = 100_000_000;
/// Longest horizon, in years.
pub(crate) const MAX_YEARS: usize = 50;
/// Largest aggregate amount a file gives, in yuan (a balance, a year's
/// premiums or expenditure, an actual to date): 1e15 yuan is about eight
/// times China's GDP.
pub(crate) const MAX_AMOUNT: f64 = 1e15;
/// Largest amount for one person or case, in yuan (a monthly wage, a
/// yearly disposable income, a monthly benefit, a cost per case).
pub(crate) const MAX_PER_PERSON: f64 = 1e6;
/// Smallest wage or income the model divides by, in yuan (the provincial
/// average wage, the disposable income): benefits and caps are multiples of
/// them, so one yuan keeps every such ratio of a per-person amount at most
/// 1e6, where a subnormal wage would make it infinite.
pub(crate) const MIN_WAGE: f64 = 1.0;
/// Largest insured head count of one city and sector.
pub(crate) const MAX_INSURED: f64 = 1e9;
/// Largest opening stock of one city (each head's exit is drawn).
pub(crate) const MAX_STOCK_HEADS: f64 = 1e7;
/// Largest expected number of new cases (injuries and catastrophe deaths)
/// in any year of the horizon, along the mean path: about 330 times the
/// default scenario, 8 times all of China's recognised injuries.
pub(crate) const MAX_CASES_PER_YEAR: f64 = 1e7;
/// Range of `claims.base_year_intensity`, the base year's claim intensity
/// that scales the cases before the start: a base year with ten times the
/// injuries its frequencies give is no base year to project from.
pub(crate) const BASE_YEAR_INTENSITY: (f64, f64) = (0.0, 10.0);
/// Range of a driver's `sd_df`, the degrees of freedom of an estimated sd:
/// below 4 the drawn sd has no finite variance (and its tail would hold
/// many paths at the draws' bounds); above 1e6 it is as good as known.
pub(crate) const SD_DF: (f64, f64) = (4.0, 1e6);
/// Largest deaths of one catastrophe, drawn or forced by an overlay.
pub(crate) const MAX_CATASTROPHE_DEATHS: f64 = 1e5;
/// Largest factor by which the mean of any growth driver (or the interest
/// rate) may compound over the horizon: `(1 + mean)^years ≤ 1000`.
pub(crate) const MAX_MEAN_COMPOUNDING: f64 = 1e3;
/// Largest value of one money line of one path and year that the
/// statistics add up, in yuan. Sums are fixed point in fen (`i128`, at most
/// 1.7e38): 1e8 paths × 50 years × 1e26 yuan × 100 fen = 5e36, with room
/// for adding lines; an `f32` copy (at most 3.4e38) and a table's decimal
/// (at most 7.9e28) hold it too. The mean path of a valid scenario stays
/// below 5e25 (docs/limits.md).
pub(crate) const MAX_MONEY_VALUE: f64 = 1e26;
/// Reserve months beyond this count as unlimited, like a fund with no
/// payments: 1e6 months is more than 80,000 years of payments.
pub(crate) const MAX_RESERVE_MONTHS: f64 = 1e6;

/// Whether a money value of one path and year can be added up exactly.
pub(crate) fn money_in_range(v: f64) -> bool {
    v.abs() <= MAX_MONEY_VALUE
}

//! Payments and stock joinings scheduled for later months (docs/model.md
//! §5): a ring of months × city–sector cells × [`item`]s, so that scheduling
//! never allocates. A payment that falls before month 0 (a pipeline case's,
//! already paid before the start) or past the horizon is dropped.

/// What the schedule holds per city × sector cell and month.
pub(crate) mod item {
    /// 工伤医疗待遇 payments.
    pub(crate) const MEDICAL: usize = 0;
    /// 工伤认定调查 costs.
    pub(crate) const INVESTIGATION: usize = 1;
    /// 劳动能力鉴定 costs.
    pub(crate) const APPRAISAL: usize = 2;
    /// One-off 伤残待遇: disability grants and one-time medical subsidies.
    pub(crate) const DISABILITY_ONE_OFF: usize = 3;
    /// One-off 工亡待遇: funeral and death grants.
    pub(crate) const DEATH_ONE_OFF: usize = 4;
    /// Heads joining the disability-allowance stock.
    pub(crate) const DISABILITY_HEADS: usize = 5;
    /// Monthly amount joining the disability-allowance stock.
    pub(crate) const DISABILITY_AMOUNT: usize = 6;
    /// Heads joining the living-care stock.
    pub(crate) const CARE_HEADS: usize = 7;
    /// Care units (shares of `AW`) joining the living-care stock.
    pub(crate) const CARE_UNITS: usize = 8;
    /// Dependants joining the survivors'-pension stock.
    pub(crate) const SURVIVOR_HEADS: usize = 9;
    /// Monthly amount joining the survivors'-pension stock.
    pub(crate) const SURVIVOR_AMOUNT: usize = 10;
    /// Number of items.
    pub(crate) const N: usize = 11;
}

/// Future payments and joinings by month, cell and item: a ring of at least
/// `U + 1` months.
#[derive(Debug, Clone)]
pub(crate) struct Schedule {
    slots: usize,
    cells: usize,
    horizon: i64,
    data: Vec<f64>,
}

impl Schedule {
    /// An empty schedule for lags up to `longest_lag` months and `horizon` months.
    pub(crate) fn new(longest_lag: usize, cells: usize, horizon: usize) -> Schedule {
        // a power of two, so that a month's slot is a mask, not a division
        let slots = (longest_lag + 1).next_power_of_two();
        Schedule {
            slots,
            cells,
            horizon: horizon as i64,
            data: vec![0.0; slots * cells * item::N],
        }
    }

    /// Empties every slot.
    pub(crate) fn clear(&mut self) {
        self.data.fill(0.0);
    }

    /// Adds `value` to `item` of `cell` in month `t`; months before 0 or at
    /// or past the horizon are dropped.
    #[inline]
    pub(crate) fn add(&mut self, t: i64, cell: usize, item: usize, value: f64) {
        if t < 0 || t >= self.horizon {
            return;
        }
        let slot = t as usize & (self.slots - 1);
        self.data[(slot * self.cells + cell) * item::N + item] += value;
    }

    /// Adds `pattern[d] · amount` to `item` of `cell` in each month `t + d`
    /// (months outside `0..horizon` dropped, as by [`Schedule::add`]).
    #[inline]
    pub(crate) fn spread(
        &mut self,
        t: i64,
        cell: usize,
        item: usize,
        amount: f64,
        pattern: &[f64],
    ) {
        let first = (-t).clamp(0, pattern.len() as i64) as usize;
        let last = (self.horizon - t).clamp(first as i64, pattern.len() as i64) as usize;
        let (mask, stride) = (self.slots - 1, self.cells * item::N);
        let at = cell * item::N + item;
        // months t + first .. t + last, slot by slot around the ring; the
        // first month is before 0 only when nothing is left to add
        let months = (t + first as i64).max(0) as usize..;
        for (month, q) in months.zip(&pattern[first..last]) {
            self.data[(month & mask) * stride + at] += q * amount;
        }
    }

    /// The items of `cell` in month `t`, to add several to at once; `None`
    /// for a month before 0 or at or past the horizon (dropped, as by [`Schedule::add`]).
    #[inline]
    pub(crate) fn row(&mut self, t: i64, cell: usize) -> Option<&mut [f64; item::N]> {
        if t < 0 || t >= self.horizon {
            return None;
        }
        let at = ((t as usize & (self.slots - 1)) * self.cells + cell) * item::N;
        (&mut self.data[at..at + item::N]).try_into().ok()
    }

    /// The items of every cell due in month `t` (`cells × item::N` values).
    pub(crate) fn due(&self, t: usize) -> &[f64] {
        let slot = t & (self.slots - 1);
        &self.data[slot * self.cells * item::N..(slot + 1) * self.cells * item::N]
    }

    /// Empties month `t`'s slot once it has been paid, for reuse by `t + U + 1`.
    pub(crate) fn release(&mut self, t: usize) {
        let slot = t & (self.slots - 1);
        self.data[slot * self.cells * item::N..(slot + 1) * self.cells * item::N].fill(0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A payment lands in its month only; months outside the horizon are
    /// dropped; a released slot is empty for the month that reuses it.
    #[test]
    fn ring_keeps_months_apart() {
        let mut s = Schedule::new(2, 1, 10);
        s.add(1, 0, item::MEDICAL, 5.0);
        s.add(-1, 0, item::MEDICAL, 7.0);
        s.add(10, 0, item::MEDICAL, 9.0);
        assert_eq!(s.due(1)[item::MEDICAL], 5.0);
        assert_eq!(s.due(0)[item::MEDICAL], 0.0);
        s.release(1);
        assert_eq!(
            s.due(5)[item::MEDICAL],
            0.0,
            "slot of month 1 reused by month 5"
        );
    }

    /// `spread` and `row` land exactly where the same `add`s would, with
    /// months before 0 and at or past the horizon dropped.
    #[test]
    fn spread_and_row_match_add() {
        let pattern = [0.5, 0.25, 0.125, 0.125];
        for t in -5..12 {
            let (mut a, mut b) = (Schedule::new(4, 3, 10), Schedule::new(4, 3, 10));
            for (d, q) in pattern.iter().enumerate() {
                a.add(t + d as i64, 1, item::MEDICAL, q * 8.0);
            }
            a.add(t, 2, item::CARE_HEADS, 3.0);
            b.spread(t, 1, item::MEDICAL, 8.0, &pattern);
            if let Some(row) = b.row(t, 2) {
                row[item::CARE_HEADS] += 3.0;
            }
            assert_eq!(a.row(t, 2).is_some(), (0..10).contains(&t));
            assert_eq!(a.data, b.data, "t = {t}");
        }
    }
}

"""The effect statistics against scipy, independent formulas and a published worked
example; the edge cases refuse with a message instead of NaN."""

import math

import numpy as np
import pytest
from scipy import stats

from kinsight.groups.effect import (
    DETERIORATED,
    IMPROVED,
    UNCHANGED,
    Norms,
    NotComputable,
    cronbach_alpha,
    hedges_j,
    paired_effect,
    reliable_change,
)


def generated(seed, n):
    rng = np.random.default_rng(seed)
    before = rng.normal(50, 10, n).round(1)
    return before, (before + rng.normal(4, 6, n)).round(1)


@pytest.mark.parametrize(("seed", "n"), [(1, 2), (2, 3), (3, 8), (4, 30), (5, 400)])
def test_mean_change_and_t_agree_with_scipy_and_the_textbook_formula(seed, n):
    before, after = generated(seed, n)
    effect = paired_effect(before, after)
    reference = stats.ttest_rel(after, before)
    ci = reference.confidence_interval(0.95)
    assert effect.n == n
    assert effect.t == pytest.approx(reference.statistic, abs=1e-9)
    assert effect.p == pytest.approx(reference.pvalue, abs=1e-9)
    assert (effect.change.low, effect.change.high) == pytest.approx((ci.low, ci.high), abs=1e-9)
    # The interval written out: mean ± t(0.975, n-1) · sd / sqrt(n).
    d = after - before
    half = stats.t.ppf(0.975, n - 1) * d.std(ddof=1) / math.sqrt(n)
    assert effect.change.estimate == pytest.approx(d.mean(), abs=1e-9)
    assert effect.change.low == pytest.approx(d.mean() - half, abs=1e-9)
    assert effect.change.high == pytest.approx(d.mean() + half, abs=1e-9)


@pytest.mark.parametrize(("seed", "n"), [(6, 3), (7, 12), (8, 60)])
def test_d_z_interval_is_the_exact_noncentral_t_interval(seed, n):
    before, after = generated(seed, n)
    effect = paired_effect(before, after)
    d = after - before
    assert effect.d_z.estimate == pytest.approx(d.mean() / d.std(ddof=1), abs=1e-9)
    t, df = effect.t, n - 1
    # At the bounds, the observed t sits at the 97.5th and 2.5th percentiles.
    assert stats.nct.sf(t, df, effect.d_z.low * math.sqrt(n)) == pytest.approx(0.025, abs=1e-9)
    assert stats.nct.sf(t, df, effect.d_z.high * math.sqrt(n)) == pytest.approx(0.975, abs=1e-9)
    assert effect.d_z.low < effect.d_z.estimate < effect.d_z.high


def test_hedges_g_is_d_z_with_the_exact_small_sample_correction():
    before, after = generated(9, 10)
    effect = paired_effect(before, after)
    j = math.gamma(9 / 2) / (math.sqrt(9 / 2) * math.gamma(8 / 2))
    assert hedges_j(9) == pytest.approx(j, abs=1e-12)
    assert effect.g.estimate == pytest.approx(j * effect.d_z.estimate, abs=1e-12)
    assert effect.g.low == pytest.approx(j * effect.d_z.low, abs=1e-12)
    # The familiar approximation 1 - 3 / (4 df - 1) is close for moderate df.
    assert hedges_j(40) == pytest.approx(1 - 3 / (4 * 40 - 1), abs=1e-4)


def test_reliable_change_worked_example_from_a_published_textbook():
    """Wodrich, Appendix E "How to calculate reliable change indexes": Piers-Harris-2
    total score, SEM 3.07 from the manual; S_diff 4.34, criterion 1.96 · 4.34 = 8.51; a
    pupil from 24 to 35 (11 points) has changed reliably."""
    norms = Norms(sem=3.07, higher_is_better=True)
    result = reliable_change([24], [35], norms)
    assert round(result.s_diff, 2) == 4.34
    assert round(result.threshold, 2) == 8.51
    assert result.categories == [IMPROVED]


def test_reliable_change_follows_the_direction_and_the_clinical_cut_off():
    # Lower is better (a symptom scale); SD 5 and reliability 0.84 give SEM 2.
    norms = Norms.from_sd(5, 0.84, higher_is_better=False, cutoff=15)
    assert norms.sem == pytest.approx(2.0)
    before = [20, 21, 12, 16, 10]
    after = [10, 15, 11, 22, 9]
    result = reliable_change(before, after, norms)
    # Threshold 1.96 · sqrt(2) · 2 = 5.54.
    assert result.categories == [IMPROVED, IMPROVED, UNCHANGED, DETERIORATED, UNCHANGED]
    assert result.recovered == [True, False, False, False, False]
    assert (result.count(IMPROVED), result.recovered_count) == (2, 1)
    without_cut_off = reliable_change(before, after, Norms(sem=2, higher_is_better=False))
    assert without_cut_off.recovered is None and without_cut_off.recovered_count is None


def test_cronbach_alpha_agrees_with_the_covariance_form():
    rng = np.random.default_rng(11)
    trait = rng.normal(0, 1, 40)
    items = np.column_stack([trait + rng.normal(0, 0.8, 40) for _ in range(5)])
    cov = np.cov(items, rowvar=False)
    expected = 5 / 4 * (1 - np.trace(cov) / cov.sum())
    assert cronbach_alpha(items.tolist()) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    ("before", "after"),
    [([], []), ([10], [12])],
)
def test_too_few_pairs_refuse_with_a_message(before, after):
    with pytest.raises(NotComputable, match="minst två"):
        paired_effect(before, after)


def test_two_pairs_are_enough():
    effect = paired_effect([10, 12], [13, 14])
    assert effect.n == 2 and math.isfinite(effect.d_z.low) and math.isfinite(effect.g.high)


def test_zero_variance_of_the_change_refuses_instead_of_nan():
    with pytest.raises(NotComputable, match="spridningen är noll"):
        paired_effect([10, 12, 14], [13, 15, 17])


@pytest.mark.parametrize(("sd", "reliability"), [(0, 0.8), (5, 1.0), (5, -0.1)])
def test_norms_outside_their_range_refuse(sd, reliability):
    with pytest.raises(NotComputable):
        Norms.from_sd(sd, reliability, higher_is_better=True)


def test_alpha_needs_two_answers_and_spread():
    with pytest.raises(NotComputable):
        cronbach_alpha([[1, 2, 3]])
    with pytest.raises(NotComputable):
        cronbach_alpha([[1, 1], [1, 1]])

"""Effect evaluation of support groups: the statistics a researcher would sign.

Pure functions over paired scores (before and after, one pair per participant), no
Django. The distributions are scipy's; what is ours is the choice of measures and the
refusals:

- **Mean change** after - before with its confidence interval from the paired t
  distribution (what ``scipy.stats.ttest_rel`` gives).
- **Cohen's d_z** = mean change / SD of the changes, with its interval from the
  noncentral t distribution (exact, not the large-sample approximation), and
  **Hedges' g** for paired data = d_z times the small-sample correction J(n - 1)
  (the exact gamma form), its interval scaled by the same J. This is the paired
  ``hedges_g`` of the R package effectsize.
- **Reliable change** (Jacobson and Truax 1991, with Christensen and Mendoza's sqrt 2):
  S_diff = sqrt(2) * SEM, SEM = SD * sqrt(1 - reliability); a change is reliable when
  |change| > z * S_diff (z = 1.96 at 95 %). Improvement follows the instrument's
  direction. **Clinically significant** change (recovered): reliable improvement that
  also crosses the instrument's clinical cut-off to its healthy side.

Below two pairs, or when every change is the same, a measure is undefined; the
functions raise ``NotComputable`` with a Swedish message instead of returning NaN.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _
from scipy import optimize, special, stats

CONFIDENCE = 0.95


class NotComputable(ValueError):
    """The data cannot carry the measure; ``str()`` says why, in Swedish."""


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float


@dataclass(frozen=True)
class PairedEffect:
    n: int
    mean_before: float
    mean_after: float
    change: Interval  # mean of after - before
    sd_change: float
    t: float
    p: float
    d_z: Interval
    g: Interval


@dataclass(frozen=True)
class Norms:
    """What reliable and clinically significant change need of an instrument.
    ``source`` says where the figures come from (the instrument's manual, or the
    sample itself when the instrument has none)."""

    sem: float
    higher_is_better: bool
    cutoff: float | None = None
    source: str = ""

    @classmethod
    def from_sd(
        cls,
        sd: float,
        reliability: float,
        *,
        higher_is_better: bool,
        cutoff: float | None = None,
        source: str = "",
    ) -> Norms:
        if sd <= 0 or not 0 <= reliability < 1:
            raise NotComputable(
                _("Normerna behöver en standardavvikelse över 0 och en reliabilitet under 1.")
            )
        sem = sd * math.sqrt(1 - reliability)
        return cls(sem=sem, higher_is_better=higher_is_better, cutoff=cutoff, source=source)

    @property
    def s_diff(self) -> float:
        return math.sqrt(2) * self.sem


IMPROVED, UNCHANGED, DETERIORATED = "improved", "unchanged", "deteriorated"


@dataclass(frozen=True)
class ReliableChange:
    s_diff: float
    threshold: float  # the smallest raw change that is reliable
    categories: list[str]  # per pair: IMPROVED, UNCHANGED or DETERIORATED
    recovered: list[bool] | None  # per pair; None without a clinical cut-off

    def count(self, category: str) -> int:
        return self.categories.count(category)

    @property
    def recovered_count(self) -> int | None:
        return None if self.recovered is None else sum(self.recovered)


def _pairs(before: Sequence[float], after: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    if len(before) != len(after):
        raise ValueError("before and after must be paired")
    return np.asarray(before, dtype=float), np.asarray(after, dtype=float)


def _z(confidence: float) -> float:
    return float(stats.norm.ppf(1 - (1 - confidence) / 2))


def hedges_j(df: int) -> float:
    """The exact small-sample correction J(df) = Γ(df/2) / (sqrt(df/2) Γ((df-1)/2))."""
    return math.exp(
        special.gammaln(df / 2) - math.log(math.sqrt(df / 2)) - special.gammaln((df - 1) / 2)
    )


def _ncp_bound(t: float, df: int, tail: float) -> float:
    """The noncentrality whose t distribution puts ``tail`` of its mass above ``t``."""

    def excess(ncp: float) -> float:
        return float(stats.nct.sf(t, df, ncp)) - tail

    low, high = t - 10.0, t + 10.0
    while excess(low) > 0:
        low -= 10.0 + abs(low)
    while excess(high) < 0:
        high += 10.0 + abs(high)
    return float(optimize.brentq(excess, low, high, xtol=1e-13, rtol=4 * np.finfo(float).eps))


def paired_effect(
    before: Sequence[float], after: Sequence[float], confidence: float = CONFIDENCE
) -> PairedEffect:
    """Mean change, d_z and g with their intervals for paired scores."""
    b, a = _pairs(before, after)
    n = len(b)
    if n < 2:
        raise NotComputable(_("Det behövs minst två deltagare med båda mätningarna."))
    change = a - b
    sd = float(np.std(change, ddof=1))
    if sd == 0:
        raise NotComputable(
            _(
                "Alla deltagare ändrades lika mycket: spridningen är noll och "
                "effektstorleken saknar mening."
            )
        )
    test = stats.ttest_rel(a, b)
    ci = test.confidence_interval(confidence)
    df = n - 1
    t = float(test.statistic)
    alpha = 1 - confidence
    d_z = t / math.sqrt(n)
    d_low = _ncp_bound(t, df, alpha / 2) / math.sqrt(n)
    d_high = _ncp_bound(t, df, 1 - alpha / 2) / math.sqrt(n)
    j = hedges_j(df)
    return PairedEffect(
        n=n,
        mean_before=float(b.mean()),
        mean_after=float(a.mean()),
        change=Interval(float(change.mean()), float(ci.low), float(ci.high)),
        sd_change=sd,
        t=t,
        p=float(test.pvalue),
        d_z=Interval(d_z, d_low, d_high),
        g=Interval(j * d_z, j * d_low, j * d_high),
    )


def _healthy(score: float, norms: Norms) -> bool:
    assert norms.cutoff is not None
    return score > norms.cutoff if norms.higher_is_better else score < norms.cutoff


def reliable_change(
    before: Sequence[float], after: Sequence[float], norms: Norms, confidence: float = CONFIDENCE
) -> ReliableChange:
    """Each pair's reliable change category, and whether it recovered."""
    b, a = _pairs(before, after)
    if norms.sem <= 0:
        raise NotComputable(_("Mätfelet (SEM) måste vara större än 0."))
    threshold = _z(confidence) * norms.s_diff
    sign = 1.0 if norms.higher_is_better else -1.0
    categories = []
    for gain in (sign * (a - b)).tolist():
        if gain > threshold:
            categories.append(IMPROVED)
        elif gain < -threshold:
            categories.append(DETERIORATED)
        else:
            categories.append(UNCHANGED)
    recovered = None
    if norms.cutoff is not None:
        recovered = [
            bool(c == IMPROVED and not _healthy(x, norms) and _healthy(y, norms))
            for c, x, y in zip(categories, b, a, strict=True)
        ]
    return ReliableChange(norms.s_diff, threshold, categories, recovered)


def cronbach_alpha(items: Sequence[Sequence[float]]) -> float:
    """Internal consistency of item answers (rows: respondents, columns: items); used as
    the reliability when an instrument has no published norms."""
    matrix = np.asarray(items, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] < 2 or matrix.shape[1] < 2:
        raise NotComputable(_("Reliabiliteten kräver minst två svar med minst två frågor."))
    k = matrix.shape[1]
    total_var = matrix.sum(axis=1).var(ddof=1)
    if total_var == 0:
        raise NotComputable(_("Alla svar har samma summa: reliabiliteten går inte att skatta."))
    return float(k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / total_var))

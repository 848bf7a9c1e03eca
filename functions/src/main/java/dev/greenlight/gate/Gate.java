package dev.greenlight.gate;

import dev.greenlight.serving.ModelSignature;
import dev.greenlight.serving.TensorSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges a candidate against the baseline with a {@link GatePolicy}. Every check is evaluated
 * and reported, so a rejection lists all of its reasons, with the observed values.
 */
public final class Gate {
    private final GatePolicy policy;

    public Gate(GatePolicy policy) {
        this.policy = policy;
    }

    public GatePolicy policy() {
        return policy;
    }

    /** The verdict: passed only when every check passed. */
    public record Verdict(boolean passed, List<Check> checks) {
        public Verdict {
            checks = List.copyOf(checks);
        }

        public List<Check> failures() {
            return checks.stream().filter(c -> !c.passed()).toList();
        }
    }

    public Verdict judge(Candidate candidate, Optional<Candidate> baseline) {
        List<Check> checks = new ArrayList<>();
        String metric = policy.primaryMetric();
        Optional<Double> value = metric(candidate, metric);
        if (value.isEmpty()) {
            checks.add(new Check("metric:" + metric, false, describe(candidate, metric), "metric present and numeric"));
        } else {
            double v = value.get();
            boolean overFloor = policy.higherIsBetter() ? v >= policy.floor() : v <= policy.floor();
            checks.add(new Check("floor", overFloor, metric + "=" + fmt(v),
                    (policy.higherIsBetter() ? ">= " : "<= ") + fmt(policy.floor())));
            baseline.ifPresent(b -> {
                Optional<Double> base = metric(b, metric);
                if (base.isEmpty()) {
                    // A baseline without the metric cannot be beaten or matched: say so, do not guess.
                    checks.add(new Check("margin", false, "baseline " + b.version() + " has no numeric " + metric,
                            "baseline metric present"));
                } else {
                    double delta = policy.higherIsBetter() ? v - base.get() : base.get() - v;
                    boolean better = policy.minImprovement() == 0 ? delta > 0
                            : delta >= policy.minImprovement();
                    checks.add(new Check("margin", better,
                            metric + "=" + fmt(v) + " vs baseline " + b.version() + " " + fmt(base.get())
                                    + " (improvement " + fmt(delta) + ")",
                            policy.minImprovement() == 0 ? "> baseline" : "improvement >= " + fmt(policy.minImprovement())));
                }
            });
        }
        for (GatePolicy.Guardrail g : policy.guardrails()) {
            checks.add(guardrail(g, candidate, baseline));
        }
        if (policy.smokeTest()) {
            checks.add(new Check("smoke", candidate.loadError().isEmpty() && candidate.signature().isPresent(),
                    candidate.loadError().map(e -> "failed: " + e).orElse("loaded and answered"),
                    "loads in ONNX Runtime and answers a smoke inference"));
        }
        if (policy.requireSignatureMatch() && baseline.isPresent()) {
            checks.add(signature(candidate, baseline.get()));
        }
        return new Verdict(checks.stream().allMatch(Check::passed), checks);
    }

    private Check guardrail(GatePolicy.Guardrail g, Candidate candidate, Optional<Candidate> baseline) {
        String name = "guardrail:" + g.metric();
        Optional<Double> c = metric(candidate, g.metric());
        if (c.isEmpty()) {
            return new Check(name, false, describe(candidate, g.metric()), "metric present and numeric");
        }
        if (baseline.isEmpty()) {
            return new Check(name, true, g.metric() + "=" + fmt(c.get()) + " (no baseline)", "no regression");
        }
        Optional<Double> b = metric(baseline.get(), g.metric());
        if (b.isEmpty()) {
            return new Check(name, true, g.metric() + "=" + fmt(c.get()) + " (baseline has none)", "no regression");
        }
        double worse = g.higherIsBetter() ? b.get() - c.get() : c.get() - b.get();
        double regression = g.relative() ? (b.get() == 0 ? (worse > 0 ? Double.POSITIVE_INFINITY : 0) : worse / Math.abs(b.get()))
                : worse;
        boolean ok = regression <= g.maxRegression() + 1e-12;
        return new Check(name, ok, g.metric() + "=" + fmt(c.get()) + " vs baseline " + fmt(b.get())
                + " (regression " + (g.relative() ? percent(regression) : fmt(regression)) + ")",
                "regression <= " + (g.relative() ? percent(g.maxRegression()) : fmt(g.maxRegression())));
    }

    private static Check signature(Candidate candidate, Candidate baseline) {
        if (candidate.signature().isEmpty() || baseline.signature().isEmpty()) {
            return new Check("signature", false, "signature unavailable ("
                    + (candidate.signature().isEmpty() ? "candidate" : "baseline") + " could not be loaded)",
                    "same inputs and outputs as baseline " + baseline.version());
        }
        List<String> differences = differences(candidate.signature().get(), baseline.signature().get());
        return new Check("signature", differences.isEmpty(),
                differences.isEmpty() ? "matches" : String.join("; ", differences),
                "same input/output names, datatypes and shapes as baseline " + baseline.version());
    }

    static List<String> differences(ModelSignature candidate, ModelSignature baseline) {
        List<String> out = new ArrayList<>();
        compare("input", candidate.inputs(), baseline.inputs(), out);
        compare("output", candidate.outputs(), baseline.outputs(), out);
        return out;
    }

    private static void compare(String kind, List<TensorSpec> candidate, List<TensorSpec> baseline, List<String> out) {
        for (TensorSpec b : baseline) {
            Optional<TensorSpec> c = candidate.stream().filter(s -> s.name().equals(b.name())).findFirst();
            if (c.isEmpty()) {
                out.add(kind + " '" + b.name() + "' missing");
            } else if (!c.get().equals(b)) {
                out.add(kind + " " + c.get().describe() + " differs from baseline " + b.describe());
            }
        }
        for (TensorSpec c : candidate) {
            if (baseline.stream().noneMatch(b -> b.name().equals(c.name()))) {
                out.add("extra " + kind + " '" + c.name() + "'");
            }
        }
    }

    /** The metric's value from the candidate's metrics map, if present and numeric. */
    static Optional<Double> metric(Candidate candidate, String name) {
        String raw = candidate.metrics().get(name);
        if (raw == null) {
            return Optional.empty();
        }
        try {
            double v = Double.parseDouble(raw.trim());
            return Double.isFinite(v) ? Optional.of(v) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String describe(Candidate candidate, String metric) {
        String raw = candidate.metrics().get(metric);
        return raw == null ? metric + " missing" : metric + "='" + raw + "' is not a number";
    }

    /**
     * The shortest decimal that reads back as the same double: a value just under a threshold
     * must not print as the threshold (f1 0.84999 is not "0.8500").
     */
    private static String fmt(double v) {
        return Double.isFinite(v) ? BigDecimal.valueOf(v).stripTrailingZeros().toPlainString() : Double.toString(v);
    }

    /** A fraction as a percentage, shifting the decimal point rather than multiplying (no new rounding). */
    private static String percent(double v) {
        return Double.isFinite(v) ? BigDecimal.valueOf(v).movePointRight(2).stripTrailingZeros().toPlainString() + "%"
                : Double.toString(v);
    }
}

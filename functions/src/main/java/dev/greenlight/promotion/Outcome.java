package dev.greenlight.promotion;

/** What a decision did. Callers switch on it without a default, so a new outcome fails to compile. */
public enum Outcome {
    /** The candidate passed and became the baseline. */
    PROMOTED,
    /** The candidate failed the gate (or another version of its run was better); the baseline is unchanged. */
    REJECTED,
    /** The candidate passed in manual mode and waits for Promote. */
    PENDING,
    /** Nothing to decide (already the baseline, a failed run). */
    SKIPPED,
    /** The baseline went back to an earlier version. */
    ROLLED_BACK,
    /** On first sight of a model, the baseline it already had (its pointer or its registry tag) was taken over. */
    ADOPTED
}

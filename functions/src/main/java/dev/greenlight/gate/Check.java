package dev.greenlight.gate;

/**
 * One check of the gate with what was observed and what was required, so every decision can
 * be read without re-running it.
 */
public record Check(String name, boolean passed, String observed, String required) {
}

/**
 * Promotion: who is the baseline, decided once and recorded. {@link dev.greenlight.promotion.PromotionService}
 * orchestrates; {@link dev.greenlight.promotion.LedgerStore#update} is the one optimistic update path of the
 * ledger; {@code Decider} holds the rules (pure); {@code FlipEffects} publishes the pointer, moves the
 * generation-ordered {@code BaselineTags} and fans out; {@code FirstSight} adopts a baseline a model already
 * has; {@link dev.greenlight.promotion.DriftRepair} is what the SyncCheck timer runs;
 * {@link dev.greenlight.promotion.EventIntake} turns Azure ML events into judgements;
 * {@link dev.greenlight.promotion.CandidateProbe} loads a candidate for the gate. Imports nothing from Azure
 * Functions and nothing of the composition root.
 */
package dev.greenlight.promotion;

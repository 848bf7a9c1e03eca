/**
 * Promotion: the ledger (baseline, history, pending, handled events, decisions), the flip and
 * rollback, and the probe that loads a candidate for the gate. Imports nothing from Azure
 * Functions.
 */
package dev.greenlight.promotion;

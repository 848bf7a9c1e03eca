/** The embedded default: settings and first-start seeding of a local data folder. */
package dev.greenlight.local.seed;

/** The {@code greenlight} command line: starts the local host and runs the operator's commands against it. */
package dev.greenlight.local.cli;

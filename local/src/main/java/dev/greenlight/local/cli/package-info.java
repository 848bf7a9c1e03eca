/** The {@code greenlight} command line: starts the local host, later the operator commands. */
package dev.greenlight.local.cli;

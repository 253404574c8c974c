/**
 * Working in a shared SparkSession: creating it, scoping a job's changes to it, logging progress
 * and time.
 */
package io.neuroscope.jobs.spark;

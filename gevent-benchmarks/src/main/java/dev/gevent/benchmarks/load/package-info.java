/** What the load generators share. */
package dev.gevent.benchmarks.load;

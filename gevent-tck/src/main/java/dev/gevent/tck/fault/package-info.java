/**
 * Fault injection for the TCK: {@link dev.gevent.tck.fault.FaultInjectingLoopProvider} wraps the
 * loop under test so that it misbehaves as a {@link dev.gevent.tck.fault.FaultPlan} says (would-block
 * storms, interrupted polls, one-byte transfers, resets), and
 * {@link dev.gevent.tck.fault.SocketFaultInjectionTck} proves that the socket layer retries or
 * reports correctly over it, on every backend.
 */
package dev.gevent.tck.fault;

package io.sessionstate.elsewhere;

import java.io.Serializable;

/** A value outside the test application's package, so outside the default allow-list. */
public record Coupon(String code) implements Serializable {}

package io.sessionstate.example.spring;

import java.io.Serializable;

/**
 * One line of the cart, kept in the session.
 *
 * @param name the product's name
 * @param quantity how many of it the cart holds
 */
public record CartItem(String name, int quantity) implements Serializable {}

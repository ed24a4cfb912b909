/**
 * Finding the stack under test: the Compose project of a folder or a given name, its services
 * and their containers, looked up through Compose's labels on the engine.
 */
package dev.faultline.core.target;

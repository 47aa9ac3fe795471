//! ChatSphere core.

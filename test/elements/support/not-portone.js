// A script that loads fine but is not PortOne's runtime: it never defines window.PortOne.
window.__notPortOneLoads = (window.__notPortOneLoads || 0) + 1;

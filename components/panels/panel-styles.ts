// The stylesheets of panels, charts, KPI tiles and the page grid, in cascade order: whatever shows
// panels imports this one module.
import './panels.css';
import './charts.css';
import './kpi-tiles.css';
import './panel-content.css';

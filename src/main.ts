import { mount } from 'svelte';
import App from './App.svelte';
import './styles.css';
import { markBoot } from './lib/boot-marks';
import { startFirstLab } from './lib/first-lab';

// The lab's workers and database start first: they take longer than mounting the screens.
mount(App, { target: document.getElementById('app')!, props: { firstLab: startFirstLab() } });
markBoot('mounted');

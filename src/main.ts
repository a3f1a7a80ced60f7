// First import, so it is evaluated first: the lab's workers and database take longer than mounting the screens.
import { firstLab } from './early';
import { mount } from 'svelte';
import App from './App.svelte';
import '@cds/core/styles/module.tokens.css';
import './styles.css';
import { markBoot } from './lib/boot-marks';

mount(App, { target: document.getElementById('app')!, props: { firstLab } });
markBoot('mounted');

"""placeholder family"""
